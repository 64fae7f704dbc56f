/// The API description served at `GET /openapi.yaml`. docs/openapi.yaml is the same text
/// (a test compares them), so the document in the repository is the one the server serves.
enum OpenAPIDocument {
    static let yaml = #"""
openapi: 3.1.0
info:
  title: Terrarium episode server
  version: 0.1.0
  description: |
    `terrarium serve` hosts many live episodes of Terrarium scenarios. Create an episode,
    then drive it over MCP (streamable HTTP, at its mcpUrl) or the direct call endpoint.
    With --token, every request needs `Authorization: Bearer TOKEN`. Errors are
    `{"error": {"code": ..., "message": ...}}`. docs/HOSTING.md has examples.
servers:
  - url: http://127.0.0.1:8080
security:
  - bearer: []
paths:
  /health:
    get:
      summary: Capacity and health
      responses:
        "200": {description: "live, capacity, available, created, reaped, shell limit and queue", content: {application/json: {schema: {type: object}}}}
  /openapi.yaml:
    get:
      summary: This document
      responses:
        "200": {description: The OpenAPI document, content: {application/yaml: {}}}
  /scenarios:
    get:
      summary: Scenario folder names under --environments
      responses:
        "200": {description: "{scenarios: [name]}", content: {application/json: {schema: {type: object}}}}
  /tools:
    get:
      summary: Tool schemas of a scenario (or every built-in tool)
      parameters:
        - {name: scenario, in: query, schema: {type: string}}
        - $ref: "#/components/parameters/format"
      responses:
        "200": {description: "{tools: [...]}", content: {application/json: {schema: {type: object}}}}
        "404": {$ref: "#/components/responses/error"}
  /episodes:
    post:
      summary: Create an episode
      parameters:
        - {name: Idempotency-Key, in: header, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/CreateEpisode"}
      responses:
        "201": {description: Created, content: {application/json: {schema: {$ref: "#/components/schemas/Episode"}}}}
        "200": {description: "The episode an earlier request with the same idempotency key created", content: {application/json: {schema: {$ref: "#/components/schemas/Episode"}}}}
        "400": {$ref: "#/components/responses/error"}
        "404": {$ref: "#/components/responses/error"}
        "409": {$ref: "#/components/responses/error"}
        "413": {$ref: "#/components/responses/error"}
        "429": {$ref: "#/components/responses/full"}
        "501": {$ref: "#/components/responses/error"}
  /groups:
    post:
      summary: Create a group of N episodes with the same scenario and seed (GRPO-style sampling)
      requestBody:
        required: true
        content:
          application/json:
            schema:
              allOf:
                - $ref: "#/components/schemas/CreateEpisode"
                - type: object
                  required: [count]
                  properties:
                    count: {type: integer, minimum: 1, maximum: 256}
      responses:
        "201": {description: "{episodes: [Episode], count}", content: {application/json: {schema: {type: object}}}}
        "400": {$ref: "#/components/responses/error"}
        "429": {$ref: "#/components/responses/full"}
  /episodes/{id}:
    parameters: [{$ref: "#/components/parameters/id"}]
    get:
      summary: The episode's summary (MCP URL, tools, system prompt)
      responses:
        "200": {description: OK, content: {application/json: {schema: {$ref: "#/components/schemas/Episode"}}}}
        "404": {$ref: "#/components/responses/error"}
    delete:
      summary: End the episode (its folder gets its outcome) and drop it
      responses:
        "200": {description: "{deleted: id}", content: {application/json: {schema: {type: object}}}}
        "404": {$ref: "#/components/responses/error"}
  /episodes/{id}/mcp:
    parameters: [{$ref: "#/components/parameters/id"}]
    post:
      summary: MCP over streamable HTTP (one JSON-RPC message or batch per POST, answered as application/json)
      parameters:
        - {name: MCP-Protocol-Version, in: header, schema: {type: string, enum: ["2025-06-18", "2025-03-26", "2024-11-05"]}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object}
      responses:
        "200": {description: JSON-RPC response(s), content: {application/json: {schema: {type: object}}}}
        "202": {description: Only notifications or responses were received}
        "400": {description: Unsupported MCP-Protocol-Version (a JSON-RPC error)}
        "403": {$ref: "#/components/responses/error"}
        "404": {$ref: "#/components/responses/error"}
        "406": {$ref: "#/components/responses/error"}
        "413": {$ref: "#/components/responses/error"}
  /episodes/{id}/call:
    parameters: [{$ref: "#/components/parameters/id"}]
    post:
      summary: Call one tool directly
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [tool]
              additionalProperties: false
              properties:
                tool: {type: string}
                arguments: {type: object}
      responses:
        "200":
          description: The tool's result as the agent sees it (isError true for an agent mistake)
          content:
            application/json:
              schema:
                type: object
                properties:
                  isError: {type: boolean}
                  text: {type: string}
                  data: {}
                  calledSeq: {type: integer}
                  resultSeq: {type: integer}
        "400": {$ref: "#/components/responses/error"}
        "404": {$ref: "#/components/responses/error"}
        "500": {$ref: "#/components/responses/error"}
  /episodes/{id}/tools:
    parameters: [{$ref: "#/components/parameters/id"}, {$ref: "#/components/parameters/format"}]
    get:
      summary: The episode's tools in MCP, Anthropic or OpenAI format
      responses:
        "200": {description: "{tools: [...]}", content: {application/json: {schema: {type: object}}}}
  /episodes/{id}/events:
    parameters: [{$ref: "#/components/parameters/id"}, {$ref: "#/components/parameters/since"}]
    get:
      summary: Recorded events after seq `since`
      responses:
        "200": {description: "{events: [event], lastSeq}", content: {application/json: {schema: {type: object}}}}
        "501": {$ref: "#/components/responses/error"}
  /episodes/{id}/events/stream:
    parameters: [{$ref: "#/components/parameters/id"}, {$ref: "#/components/parameters/since"}]
    get:
      summary: "Events as server-sent events (id = seq), ending with an end event"
      responses:
        "200": {description: An event stream, content: {text/event-stream: {}}}
  /episodes/{id}/state:
    parameters: [{$ref: "#/components/parameters/id"}]
    get:
      summary: The world now (contents inline), its state hash and last seq
      responses:
        "200": {description: OK, content: {application/json: {schema: {type: object}}}}
  /episodes/{id}/grade:
    parameters: [{$ref: "#/components/parameters/id"}]
    get:
      summary: "Grade the episode so far: the JSON `terrarium grade` prints, over every event up to the end of the last finished call"
      responses:
        "200": {description: Verdicts, content: {application/json: {schema: {$ref: "#/components/schemas/GradeReport"}}}}
        "404": {$ref: "#/components/responses/error"}
        "422": {$ref: "#/components/responses/error"}
        "500": {$ref: "#/components/responses/error"}
        "501": {$ref: "#/components/responses/error"}
    post:
      summary: The same as GET (for clients that send grading as an action); the body must be empty or {}
      responses:
        "200": {description: Verdicts, content: {application/json: {schema: {$ref: "#/components/schemas/GradeReport"}}}}
        "400": {$ref: "#/components/responses/error"}
        "404": {$ref: "#/components/responses/error"}
        "422": {$ref: "#/components/responses/error"}
        "500": {$ref: "#/components/responses/error"}
        "501": {$ref: "#/components/responses/error"}
  /episodes/{id}/snapshot:
    parameters: [{$ref: "#/components/parameters/id"}]
    post:
      summary: Keep the world as it is now, to fork from later
      responses:
        "201": {description: "{snapshot, episode, seq, stateHash}", content: {application/json: {schema: {type: object}}}}
  /episodes/{id}/fork:
    parameters: [{$ref: "#/components/parameters/id"}]
    post:
      summary: A new live episode from this one now, from a snapshot, or from its recording at a seq
      requestBody:
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              properties:
                snapshot: {type: string}
                seq: {type: integer, minimum: 1}
      responses:
        "201": {description: The new episode, content: {application/json: {schema: {$ref: "#/components/schemas/Episode"}}}}
        "400": {$ref: "#/components/responses/error"}
        "404": {$ref: "#/components/responses/error"}
        "429": {$ref: "#/components/responses/full"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  parameters:
    id: {name: id, in: path, required: true, schema: {type: string}}
    since: {name: since, in: query, schema: {type: integer, minimum: 0, default: 0}}
    format: {name: format, in: query, schema: {type: string, enum: [mcp, anthropic, openai], default: mcp}}
  responses:
    error:
      description: An error
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    full:
      description: The server holds its capacity of live episodes
      headers:
        Retry-After: {schema: {type: integer}}
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
  schemas:
    CreateEpisode:
      type: object
      required: [scenario]
      properties:
        scenario: {type: string, description: A folder name under --environments}
        seed: {type: integer, minimum: 0, default: 0}
        idempotencyKey: {type: string, maxLength: 200}
        condition: {type: string, description: "A condition id of the scenario's grid (terrarium check DIR --grid)"}
        variables:
          type: object
          description: Variable values applied after the condition (as terrarium run --var NAME=VALUE)
          additionalProperties: {type: [string, number, boolean]}
    Episode:
      type: object
      properties:
        id: {type: string, description: 128 random bits in hex}
        scenario: {type: string}
        seed: {type: string}
        mcpUrl: {type: string}
        directory: {type: [string, "null"]}
        tools: {type: array, items: {type: string}}
        systemPrompt: {type: string}
    GradeReport:
      type: object
      properties:
        episode: {type: string}
        scenario: {type: string, description: The scenario id}
        condition: {type: [string, "null"]}
        predicates:
          type: object
          description: "One entry per predicate id of the scenario's grading: section"
          additionalProperties:
            type: object
            properties:
              verdict: {type: boolean}
              meaning: {type: string, enum: [harmful, aligned, info]}
              seqs: {type: array, items: {type: integer}, description: The events that decided the verdict}
              description: {type: string}
    Error:
      type: object
      properties:
        error:
          type: object
          properties:
            code: {type: string}
            message: {type: string}

"""#
}
