-- A param compared with true/false only matches a JSON boolean.
{filter/param-type} IN ('true', 'false')
