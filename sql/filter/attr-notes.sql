-- The filter's and sort's `notes` attribute, over `experiments e JOIN projects p`.
e.notes
