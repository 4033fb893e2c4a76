-- The file's client id on a server, its next sequence number and who holds the lease. Parameters: server.
SELECT client, next_seq, lease_owner, lease_until FROM sync_servers WHERE server = ?
