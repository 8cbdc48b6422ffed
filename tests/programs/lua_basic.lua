-- Lua 5.4: tables, coroutines, io.popen and os.execute (fork/exec), temporary files, errors.
local t = {} for i = 1, 100000 do t[i] = i * 2 end
local s = 0 for _, v in ipairs(t) do s = s + v end print("sum", s)
local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
print("coroutine", co(), co(), co())
local p = io.popen("echo from-popen; exit 3") print(p:read("a"), p:close())
print("execute", os.execute("exit 4"))
local n = os.tmpname() local f = io.open(n, "w") f:write("hello") f:close()
f = io.open(n) print(f:read("a")) f:close() print(os.remove(n))
print(io.open("/nonexistent/x"))
print(string.format("%5.2f", math.pi), os.time() > 0, os.clock() >= 0)
collectgarbage() print("gc", collectgarbage("count") > 0)
