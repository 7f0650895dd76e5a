/// The exchange with the national credit-information sharing platform. For now: importing
/// the national lists it distributes (the court's dishonest judgment debtors) into the
/// registry, with the same provenance, idempotency and quarantine as bureau feeds.
public enum NationalBridge {}
