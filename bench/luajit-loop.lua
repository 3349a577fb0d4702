-- LuaJIT hot loop (issue 14's bench row): numeric work the trace compiler turns into one
-- machine-code loop, then table and string work with side traces. Argument: iterations.
local n = tonumber(arg[1]) or 20000000
local acc = 0
for i = 1, n do
  acc = (acc + i * 7) % 1000003
end
local t = {}
for i = 1, n / 100 do
  t[i % 4096 + 1] = (t[i % 4096 + 1] or 0) + i
end
local parts = {}
for i = 1, n / 2000 do
  parts[#parts + 1] = string.format("%x", (i * 2654435761) % 4294967296)
end
local s = table.concat(parts)
print(acc, t[1], #s, s:sub(1, 16))
