-- The filter's and sort's `project` attribute, over `experiments e JOIN projects p`.
p.name
