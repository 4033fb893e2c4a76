-- The filter's and sort's `updated` attribute, over `experiments e JOIN projects p`.
e.updated_at
