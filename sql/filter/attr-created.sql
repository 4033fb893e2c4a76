-- The filter's and sort's `created` attribute, over `experiments e JOIN projects p`.
e.created_at
