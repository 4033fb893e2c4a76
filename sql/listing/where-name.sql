-- A listing's condition for one experiment name (?), exactly.
e.name = ?
