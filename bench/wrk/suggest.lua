-- A citizen asks for category suggestions for the words typed so far (the lodge form and the apps
-- do this as the citizen types): POST /api/v1/categories/suggest/, texts in English, Urdu and
-- Roman Urdu taking turns, the citizens' tokens (BENCH_TOKENS_FILE, one a line) too.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
local tokens = {}
for t in io.lines(os.getenv("BENCH_TOKENS_FILE")) do table.insert(tokens, t) end
local texts = {
  "My electricity bill is three times the usual this month although the house was locked",
  "ہمارے محلے میں تین دن سے کوڑا نہیں اٹھایا گیا، بدبو سے برا حال ہے",
  "thana wale FIR darj nahi kar rahe, 2 hafte se chakkar laga raha hun",
  "Gas pressure is so low that we cannot cook in the morning",
  "بچے کا ب فارم بنوانے گئے تو کہا سسٹم بند ہے، تیسری بار واپس بھیج دیا",
  "school mein teacher hi nahi aate, bachay sara din khelte rehte hain",
}
local bodies = {}
for i, text in ipairs(texts) do
  bodies[i] = '{"text": "' .. text .. '", "district": "PK-PB-LHR-LHR"}'
end
local n = 0

function request()
  n = n + 1
  return wrk.format("POST", "/api/v1/categories/suggest/", {
    ["Authorization"] = "Bearer " .. tokens[(n * 7 + id) % #tokens + 1],
    ["Content-Type"] = "application/json",
  }, bodies[(n + id) % #bodies + 1])
end
