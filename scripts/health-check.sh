#!/bin/bash
# scripts/health-check.sh

BASE_URL=${1:-"https://api.vitalpath.ai"}

echo "Checking health endpoints..."

# Basic health
if curl -sf "$BASE_URL/health" > /dev/null; then
    echo "✅ Basic health: OK"
else
    echo "❌ Basic health: FAILED"
    exit 1
fi

# Detailed health
DETAILED=$(curl -sf "$BASE_URL/health/detailed")
if echo "$DETAILED" | jq -e '.database == "healthy" and .redis == "healthy"' > /dev/null; then
    echo "✅ Detailed health: OK"
else
    echo "❌ Detailed health: FAILED"
    echo "$DETAILED" | jq .
    exit 1
fi

# Mode endpoints
for MODE in 1 2 3 4; do
    if curl -sf "$BASE_URL/api/v1/expert/mode${MODE}/health" > /dev/null; then
        echo "✅ Mode $MODE: OK"
    else
        echo "❌ Mode $MODE: FAILED"
        exit 1
    fi
done

echo "All health checks passed!"
