-- wrk script: send DEPTH pipelined GET /plaintext requests per write (TechEmpower style).
init = function(args)
  local depth = tonumber(args[1]) or 16
  local requests = {}
  for i = 1, depth do
    requests[i] = wrk.format(nil, "/plaintext")
  end
  pipelined = table.concat(requests)
end

request = function()
  return pipelined
end
