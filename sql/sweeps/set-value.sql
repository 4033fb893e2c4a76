-- A trial's final value (NULL for NaN), set with its experiment's final status.
UPDATE trials SET value = @value WHERE sweep_id = @sweep AND number = @number
