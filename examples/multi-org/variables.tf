variable "northpass_version_id" {
  description = "04t id of Northpass 2.1 (package version ids are the same in every org)."
  type        = string
}

variable "data_connector_version_id" {
  description = "04t id of the Gainsight Northpass Data Connector 1.0."
  type        = string
}

variable "sandbox" {
  description = "The sandbox org and the CE account connected to it."
  type = object({
    instance_url         = string # e.g. https://acme--uat.sandbox.my.salesforce.com
    client_id            = string
    username             = string
    private_key_file     = string
    ce_api_key           = string
    integration_username = string
    standard_users       = set(string)
  })
  sensitive = true
}

variable "production" {
  description = "The production org and its CE account."
  type = object({
    instance_url         = string
    client_id            = string
    username             = string
    private_key_file     = string
    ce_api_key           = string
    integration_username = string
    standard_users       = set(string)
  })
  sensitive = true
}
