-- The host and process that own the experiment (a run taking it over).
UPDATE experiments SET host = @host, pid = @pid WHERE id = @id
