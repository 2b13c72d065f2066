"""Progress display for the sync commands: one rewritten line on a terminal, a few lines in a log."""

import time


class Progress:
    def __init__(self, stream, *, every: float = 5.0) -> None:
        self.stream = stream
        self.interactive = stream.isatty()
        self.every = every
        self.last_phase = ""
        self.last_time = 0.0
        self.dirty = False

    def __call__(self, message: str) -> None:
        if self.interactive:
            self.stream.write(f"\r\033[K{message}", ending="")
            self.stream.flush()
            self.dirty = True
            return
        phase = message.split(":", 1)[0]
        now = time.monotonic()
        if phase != self.last_phase or now - self.last_time >= self.every:
            self.stream.write(message)
            self.last_phase, self.last_time = phase, now

    def done(self) -> None:
        """End the rewritten line before printing anything else."""
        if self.dirty:
            self.stream.write("")
            self.dirty = False
