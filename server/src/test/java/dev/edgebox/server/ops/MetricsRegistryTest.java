package dev.edgebox.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The Prometheus text format, line by line. */
class MetricsRegistryTest {
    @Test
    void countersHistogramsAndGaugesInTextFormat() {
        MetricsRegistry r = new MetricsRegistry();
        MetricsRegistry.Counter c = r.counter("t_requests_total", "Requests.", "route", "status");
        MetricsRegistry.Histogram h = r.histogram("t_latency_seconds", "Latency.", 0.1, 1);
        r.gauge("t_depth", "Depth.", () -> 3);
        c.inc("/a", "200");
        c.inc("/a", "200");
        c.add(0.5, "/b\"x", "500");
        h.observe(0.05);
        h.observe(0.5);
        h.observe(7);
        assertEquals("""
                # HELP t_requests_total Requests.
                # TYPE t_requests_total counter
                t_requests_total{route="/a",status="200"} 2
                t_requests_total{route="/b\\"x",status="500"} 0.5
                # HELP t_latency_seconds Latency.
                # TYPE t_latency_seconds histogram
                t_latency_seconds_bucket{le="0.1"} 1
                t_latency_seconds_bucket{le="1"} 2
                t_latency_seconds_bucket{le="+Inf"} 3
                t_latency_seconds_sum 7.55
                t_latency_seconds_count 3
                # HELP t_depth Depth.
                # TYPE t_depth gauge
                t_depth 3
                """, r.scrape());
        assertThrows(IllegalArgumentException.class, () -> c.inc("/only-one-label"));
    }
}
