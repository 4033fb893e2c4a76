-- A tag row's (`x`) value, as the filter compares it (plain text).
x.value
