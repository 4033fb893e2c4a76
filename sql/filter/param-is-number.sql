-- A param compared with a number only matches a JSON number: SQLite would order any text above any number.
{filter/param-type} IN ('integer', 'real')
