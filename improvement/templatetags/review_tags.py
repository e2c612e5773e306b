from django import template

from improvement.review_charts import chart_svg

register = template.Library()


@register.filter
def review_chart(chart):
    """A section's ``chart`` payload as an inline SVG (page and PDF alike)."""
    return chart_svg(chart)
