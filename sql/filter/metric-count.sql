-- The series row's (`x`) column of the metric's `count` aggregate.
x.count
