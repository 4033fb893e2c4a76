-- The filter's and sort's `started` attribute, over `experiments e JOIN projects p`.
e.started_at
