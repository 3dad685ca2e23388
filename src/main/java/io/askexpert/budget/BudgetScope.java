package io.askexpert.budget;

/** Which limit refused a reservation. */
public enum BudgetScope { MISSION, TENANT_MONTH }
