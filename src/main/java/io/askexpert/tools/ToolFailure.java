package io.askexpert.tools;

/** Why a tool call did not succeed. */
public enum ToolFailure { UNKNOWN_TOOL, INVALID_INPUT, TIMEOUT, REFUSED, ERROR }
