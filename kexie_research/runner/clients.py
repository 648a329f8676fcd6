"""The kernel client papermill drives a run with: jupyter_client's, with a shorter start-up drain.

Before running the first cell, nbclient waits until the kernel is ready (``wait_for_ready``):
a ``kernel_info`` request answered on the shell channel, one message on IOPub (which proves that
the output subscription is live), then a drain of IOPub until it has been silent for 0.2 s. That
last wait is a fixed 0.2 s per run, longer than a forked kernel takes to start. Nothing depends
on it: nbclient takes a cell's outputs only from messages whose parent is that cell's request, so
status messages left over from the handshake cannot leak into a cell. :class:`QuickStartClient`
keeps the handshake and the IOPub check, and drains for 20 ms of silence instead.
"""

from __future__ import annotations

import asyncio
import time
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_core.utils import ensure_async

DRAIN_SILENCE_SECONDS = 0.02
IOPUB_CHECK_SECONDS = 0.2


class QuickStartClient(AsyncKernelClient):
    """An ``AsyncKernelClient`` whose ``wait_for_ready`` drains IOPub for 20 ms of silence, not 200 ms.

    Examples
    --------
    >>> QuickStartClient.__mro__[1].__name__
    'AsyncKernelClient'
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await ensure_async(self.shell_channel.get_msg(timeout=1))
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:  # IOPub connected? (a PUB socket drops what it sends before the subscription)
                    await ensure_async(self.iopub_channel.get_msg(timeout=IOPUB_CHECK_SECONDS))
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
            await asyncio.sleep(0)
        while True:
            try:
                await ensure_async(self.iopub_channel.get_msg(timeout=DRAIN_SILENCE_SECONDS))
            except Empty:
                break
