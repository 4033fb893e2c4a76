-- The ORDER BY terms of a sort key (/*key*/, written twice: its ? params are bound twice):
-- missing values last whichever /*direction*/ (ASC or DESC), ties newest row first, as on PostgreSQL.
/*key*/ IS NULL, /*key*/ /*direction*/, e.id DESC
