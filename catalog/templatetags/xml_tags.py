"""``{% filter xml_text %}``: an XML template's whole output without the characters XML 1.0 cannot hold."""

from django import template

from catalog import safe_text

register = template.Library()


@register.filter(is_safe=True)
def xml_text(value: str) -> str:
    return safe_text.xml_text(str(value))
