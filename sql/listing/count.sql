-- How many experiments listing/experiments would return without limit; @where as there, the
-- conditions' `?` the only parameters.
SELECT count(*) AS n FROM experiments e JOIN projects p ON p.id = e.project_id WHERE @where
