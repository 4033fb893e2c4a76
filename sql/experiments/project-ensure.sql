INSERT OR IGNORE INTO projects (name, created_at) VALUES (?, ?)
