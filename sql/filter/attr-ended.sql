-- The filter's and sort's `ended` attribute, over `experiments e JOIN projects p`.
e.ended_at
