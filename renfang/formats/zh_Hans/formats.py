"""Number formats of the Chinese pages. Django's zh_Hans groups digits by four with no separator
("457249"); Chinese statistical and government tables group by three with commas ("457,249", as GB/T 15835
recommends three-digit groups), which is also how the figures are written in the office's reports."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
