-- wrk's summary as one JSON line (latencies in microseconds), read by bench/site_benchmark.py.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRK-JSON{"p50_us":%d,"p95_us":%d,"p99_us":%d,"requests":%d,"duration_us":%d,' ..
    '"socket_errors":%d,"bad_status":%d}\n',
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.requests, summary.duration,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
