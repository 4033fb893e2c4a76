-- A listing's default order, newest first (created_at, then id for runs created in the same ms):
-- the @order of listing/experiments when the caller gives none.
e.created_at DESC, e.id DESC
