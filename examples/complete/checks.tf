# The guide's verification checklist. Check blocks run at every plan and
# apply and warn (without failing) when something is off. The data sources
# they read are top-level and depend on what they verify, so they are read
# after it changes and a settled configuration plans no changes at all.

data "northpass_salesforce_installed_packages" "all" {
  depends_on = [northpass_salesforce_package.northpass, northpass_salesforce_package.data_connector]
}

data "northpass_salesforce_integration" "status" {
  depends_on = [northpass_salesforce_integration.this]
}

data "northpass_salesforce_enrollment_sync" "since_outage" {
  since              = "${var.backfill_since}T00:00:00Z"
  external_id_format = data.northpass_salesforce_enrollment_schema.this.external_id_format
  depends_on         = [northpass_salesforce_enrollment_backfill.since_outage]
}

check "packages_at_required_versions" {
  assert {
    condition = alltrue([
      for name, minimum in { "Northpass" = "2.1", "Gainsight Northpass Data Connector" = "1.0" } :
      anytrue([for p in data.northpass_salesforce_installed_packages.all.packages :
      p.name == name && provider::northpass::version_at_least(p.version_number, minimum)])
    ])
    error_message = "Northpass 2.1 and the Gainsight Northpass Data Connector 1.0 must both be installed (Setup -> Installed Packages)."
  }
}

check "ce_connected" {
  assert {
    condition     = data.northpass_salesforce_integration.status.connected
    error_message = "CE's Salesforce card is not CONNECTED (status ${data.northpass_salesforce_integration.status.status}): run terraform apply and approve the authorization as the integration user."
  }
}

check "enrollments_synced" {
  assert {
    condition     = data.northpass_salesforce_enrollment_sync.since_outage.in_sync
    error_message = "${data.northpass_salesforce_enrollment_sync.since_outage.missing_count} CE enrollments have not reached Salesforce; the next apply backfills them."
  }
}

check "nothing_left_to_backfill" {
  assert {
    condition     = northpass_salesforce_enrollment_backfill.since_outage.pending_count == 0
    error_message = "${northpass_salesforce_enrollment_backfill.since_outage.pending_count} enrollments are waiting to be backfilled."
  }
}
