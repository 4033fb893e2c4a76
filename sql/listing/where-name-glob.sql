-- A listing's condition for a name pattern (?) with * wildcards (a name with a * in it is one).
e.name GLOB ?
