"""What both Python BCC peers do after compiling: read the events perf
buffer until Ctrl-C, then report losses, as BCC's tools do."""
import sys


def run(b, on_event, header, name):
    lost = [0]

    def on_lost(count):
        lost[0] += count

    b["events"].open_perf_buffer(on_event, page_cnt=64, lost_cb=on_lost)
    print(header, flush=True)
    try:
        while True:
            b.perf_buffer_poll()
    except KeyboardInterrupt:
        pass
    if lost[0]:
        print("%s: %d events lost" % (name, lost[0]), file=sys.stderr)
