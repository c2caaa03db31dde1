import json

import httpx
import pytest

from backend.llm import FakeChatModel, ModelError
from backend.llm.openai_client import OpenAICompatibleChatModel

MESSAGES = [{"role": "user", "content": "I have a cough"}]


def client_for(handler) -> httpx.Client:
    return httpx.Client(base_url="http://vllm.test/v1/", transport=httpx.MockTransport(handler))


def test_openai_client_sends_chat_request_and_reads_reply():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["path"] = request.url.path
        seen["body"] = json.loads(request.content)
        return httpx.Response(
            200,
            json={"choices": [{"message": {"content": " How long? "}}], "usage": {"completion_tokens": 3}},
        )

    model = OpenAICompatibleChatModel(client_for(handler), "triage-lora", max_new_tokens=50)
    completion = model.complete(MESSAGES)
    assert completion.text == "How long?"
    assert completion.completion_tokens == 3
    assert seen["path"] == "/v1/chat/completions"
    assert seen["body"]["model"] == "triage-lora" and seen["body"]["max_tokens"] == 50
    assert model.model_id == "openai:triage-lora"


@pytest.mark.parametrize(
    "handler",
    [
        lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("slow", request=r)),
        lambda r: (_ for _ in ()).throw(httpx.ConnectError("refused", request=r)),
        lambda r: httpx.Response(500, text="boom"),
        lambda r: httpx.Response(200, text="not json"),
        lambda r: httpx.Response(200, json={"choices": []}),
        lambda r: httpx.Response(200, json={"choices": [{"message": {"content": "  "}}]}),
    ],
    ids=["timeout", "down", "http-500", "not-json", "no-choices", "empty"],
)
def test_openai_client_failures_raise_model_error(handler):
    with pytest.raises(ModelError):
        OpenAICompatibleChatModel(client_for(handler), "m", timeout_s=1).complete(MESSAGES)


def test_openai_ready_checks_model_list():
    def handler(request):
        return httpx.Response(200, json={"data": [{"id": "m"}]})

    assert OpenAICompatibleChatModel(client_for(handler), "m").ready()
    assert not OpenAICompatibleChatModel(client_for(handler), "other").ready()


def test_fake_model_scripts_replies_and_errors():
    model = FakeChatModel(["one", RuntimeError("down")])
    assert model.complete(MESSAGES).text == "one"
    with pytest.raises(ModelError):
        model.complete(MESSAGES)
    assert len(model.calls) == 2


SCHEMA = {
    "type": "object",
    "properties": {"symptoms": {"type": "array", "items": {"enum": ["chest_pain", "fever"]}}},
    "required": ["symptoms"],
    "additionalProperties": False,
}


def test_openai_structured_output_sends_json_schema_constraint():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["body"] = json.loads(request.content)
        return httpx.Response(200, json={"choices": [{"message": {"content": '{"symptoms": ["fever"]}'}}]})

    model = OpenAICompatibleChatModel(client_for(handler), "m")
    assert model.complete_json(MESSAGES, SCHEMA, name="symptoms") == {"symptoms": ["fever"]}
    response_format = seen["body"]["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["schema"] == SCHEMA
    assert response_format["json_schema"]["name"] == "symptoms"
    assert "guided_json" not in seen["body"]  # ignored by current vLLM: never rely on it


@pytest.mark.parametrize("content", ['{"symptoms": ["rash"]}', "no json here", '{"symptoms": ', "[1, 2]"])
def test_structured_output_that_violates_schema_fails_closed(content):
    def handler(request):
        return httpx.Response(200, json={"choices": [{"message": {"content": content}}]})

    with pytest.raises(ModelError):
        OpenAICompatibleChatModel(client_for(handler), "m").complete_json(MESSAGES, SCHEMA, name="s")


def test_fake_model_structured_output_is_validated():
    assert FakeChatModel(['Sure: {"symptoms": []}']).complete_json(MESSAGES, SCHEMA, name="s") == {
        "symptoms": []
    }
    with pytest.raises(ModelError):
        FakeChatModel(['{"symptoms": ["x"]}']).complete_json(MESSAGES, SCHEMA, name="s")
