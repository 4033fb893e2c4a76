-- The filter's and sort's `name` attribute, over `experiments e JOIN projects p`.
e.name
