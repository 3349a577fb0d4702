-- A LuaJIT program for ushim's JIT tests (issue 14): hot loops that the trace compiler
-- turns into machine code (and side traces, and traces invalidated when a global changes),
-- table and string work. Prints the same on every run.
local function hot(n)
  local acc = 0
  for i = 1, n do acc = (acc * 31 + bit.bxor(i, bit.rshift(i, 3))) % 2147483647 end
  return acc
end
print("hot loop", hot(5e6))

local t = {}
for i = 1, 200000 do t[i] = (i * 7919) % 100003 end
table.sort(t)
print("sorted", t[1], t[#t], #t)

local words = {}
for i = 1, 50000 do words[#words + 1] = string.format("w%05d", (i * 37) % 50000) end
local joined = table.concat(words, ",")
print("string", #joined, select(2, joined:gsub("w0", "")))

-- A function whose trace depends on a global that changes: the trace is thrown away and recompiled.
scale = 2
local function scaled(n) local s = 0 for i = 1, n do s = s + i * scale end return s end
print("scaled", scaled(1e6))
scale = 3
print("rescaled", scaled(1e6))
