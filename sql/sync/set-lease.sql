-- Takes, renews or gives back the lease. Parameters: owner (NULL: none), until (ms or NULL), server.
UPDATE sync_servers SET lease_owner = ?, lease_until = ? WHERE server = ?
