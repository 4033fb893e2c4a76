-- Removes an acknowledged write (in the transaction that applies its ack). Parameters: server, seq.
DELETE FROM sync_outbox WHERE server = ? AND seq = ?
