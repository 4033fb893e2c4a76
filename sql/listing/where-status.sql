-- A listing's condition for one status (?): the derived status (LOST included), compared
-- without regard to ASCII case ('complete' finds COMPLETE).
upper({status/derived}) = upper(?)
