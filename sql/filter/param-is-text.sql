-- A param compared with text only matches a JSON string.
{filter/param-type} = 'text'
