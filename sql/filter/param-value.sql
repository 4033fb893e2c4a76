-- A param row's value as SQLite compares it: the JSON value parsed (true/false read as 1/0).
json_extract(x.value, '$')
