-- The series row's (`x`) column of the metric's `max` aggregate.
x.max_value
