### integer arithmetic
# query: [1 + 2, 7 - 10, 6 * 7, 7 % 3, -7 % 3]
# expect: [3,-3,42,1,-1]

### division produces a float when needed
# query: [10 / 4, 10 / 5]
# expect: [2.5,2]

### division by zero is a builtin error: undefined, as in OPA without strict builtin errors
# query: input.a / 0
# input: {"a": 1}
# expect: false

### rounding and absolute values
# query: [round(2.5), round(-2.5), ceil(1.2), floor(-1.2), abs(-3)]
# expect: [3,-3,2,-2,3]

### large integers stay exact
# query: 9007199254740993 + 1
# expect: 9007199254740994

### numbers.range and aggregates
# query: [numbers.range(1, 4), sum([1, 2, 3.5]), max([3, 9, 1]), min({4, 2}), product([2, 3, 4])]
# expect: [[1,2,3,4],6.5,9,2,24]

### integer and float compare equal
# query: [1 == 1.0, 2 > 1.5, count([1, 2]) == 2.0]
# expect: [true,true,true]

### bitwise operations
# query: [bits.and(12, 10), bits.or(12, 10), bits.xor(12, 10), bits.lsh(1, 4), bits.rsh(16, 2)]
# expect: [8,14,6,16,4]
