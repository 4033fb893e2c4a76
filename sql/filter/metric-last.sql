-- The series row's (`x`) column of the metric's `last` aggregate.
x.last_value
