-- The filter's and sort's `host` attribute, over `experiments e JOIN projects p`.
e.host
