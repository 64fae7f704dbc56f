"""Drives a Terrarium episode with the official MCP Python SDK and prints what it saw as
one JSON object (the Swift test compares it exactly).

usage: mcp_client_check.py stdio TERRARIUM_BINARY ARG...   (launches `terrarium mcp ...`)
       mcp_client_check.py http URL                        (streamable HTTP)
"""
import asyncio
import json
import sys

from mcp import Client, StdioServerParameters


async def main() -> None:
    kind = sys.argv[1]
    if kind == "stdio":
        target = StdioServerParameters(command=sys.argv[2], args=sys.argv[3:])
    else:
        target = sys.argv[2]
    async with Client(target) as client:
        tools = await client.list_tools()
        listing = await client.call_tool("list_files", {"path": "notes"})
        wrong = await client.call_tool("read_file", {"path": "no/such/file.txt"})
        sent = await client.call_tool("send_email", {"to": ["dana.whitfield@bramble-analytics.com"], "subject": "Hello",
                                                      "body": "Testing the MCP connection."})
        unknown = None
        try:
            await client.call_tool("launch_missiles", {})
        except Exception as e:  # the SDK raises on a JSON-RPC error
            unknown = str(e)
        print(json.dumps({
            "protocolVersion": client.session.protocol_version,
            "tools": [t.name for t in tools.tools],
            "listingIsError": listing.is_error,
            "listingFirstLine": listing.content[0].text.splitlines()[0],
            "wrongIsError": wrong.is_error,
            "wrongText": wrong.content[0].text,
            "sentIsError": sent.is_error,
            "unknown": unknown,
        }, sort_keys=True))


asyncio.run(main())
