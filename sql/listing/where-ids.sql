-- A listing's condition for the experiments whose ids are in ? (a JSON array of ids).
e.id IN (SELECT value FROM json_each(?))
