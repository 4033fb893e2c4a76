UPDATE experiments SET notes = @notes, updated_at = @now WHERE id = @id
