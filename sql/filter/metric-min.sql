-- The series row's (`x`) column of the metric's `min` aggregate.
x.min_value
