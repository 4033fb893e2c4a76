-- A listing's condition for one project (?: its name), over `experiments e JOIN projects p`.
p.name = ?
