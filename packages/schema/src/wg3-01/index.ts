// CDS-WG3-01 Customer Data: one line per module, named exports only (STYLE.md §2.7).
export {
  AccountContactType,
  AccountProgramType,
  AccountStatus,
  AccountType,
  ContractStatus,
  ContractType,
  EntityType,
  MeterAppType,
  MeterType,
  PremiseType,
  ServicePointType,
  ServiceProgramType,
  ServiceType,
} from './enums-data.js'
export { AccountProgram, Entity } from './shared-objects.js'
export { Account, AccountContact, AccountListing, AccountListingQuery } from './account.js'
export { ServiceContract, ServiceContractListing, ServiceContractListingQuery, ServiceProgram } from './service-contract.js'
export { Premise, ServicePoint, ServicePointListing, ServicePointListingQuery } from './service-point.js'
export { MeterApp, MeterDevice, MeterDeviceListing, MeterDeviceListingQuery } from './meter-device.js'
export { BillStatement, BillStatementListing, BillStatementListingQuery, NewCharge, NewChargeType } from './bill-statement.js'
export {
  BillSectionCostDetail,
  BillSectionCostDetailType,
  BillSectionLineItem,
  BillSectionLineItemType,
  BillSectionUsageDetail,
  BillSectionUsageDetailType,
} from './bill-section-details.js'
export { BillSection, BillSectionListing, BillSectionListingQuery, BillSectionType } from './bill-section.js'
export {
  Aggregation,
  AggregationListing,
  AggregationListingQuery,
  AggregationRegion,
  AggregationRegionType,
  AggregationType,
  ConsentRequirement,
  ConsentRequirementType,
} from './aggregation.js'
export { BeneficiaryType, Eac, EacDataFormatDescription, EacListing, EacListingQuery } from './eac.js'
export {
  DemandType,
  DirectionType,
  ReadingQualityType,
  SeasonType,
  SupplyAttributionType,
  SupplyType,
  TierType,
  TimeOfUseType,
  UnitType,
} from './usage-segment-field-types.js'
export {
  ElectricDemandValueFormat,
  ElectricSupplyMixValueFormat,
  ElectricUsageValueFormat,
  FuelOilUsageValueFormat,
  IntervalCostValueFormat,
  MeterReadingsValueFormat,
  NaturalGasUsageValueFormat,
  ValueFormat,
  ValueType,
  ValueTypeDescription,
  ValueTypeDescriptionMap,
  WaterUsageValueFormat,
} from './usage-segment-value-types.js'
export {
  ElectricDemandValueObject,
  ElectricSupplyMixValueObject,
  ElectricUsageValueObject,
  FuelOilUsageValueObject,
  IntervalCostValueObject,
  MeterReadingsValueObject,
  NaturalGasUsageValueObject,
  VALUE_OBJECT_SCHEMAS,
  ValueObject,
  ValueSet,
  WaterUsageValueObject,
} from './usage-segment-value-objects.js'
export { UsageSegment, UsageSegmentListing, UsageSegmentListingQuery } from './usage-segment.js'
export {
  AuthorizationFormSelectionType,
  CustomerDataAuthorizationDetailsFieldId,
  DURATION_FIELD_IDS,
  INCLUDED_DATA_FIELD_IDS,
  OTHER_FIELD_IDS,
  PRESELECTION_FIELD_IDS,
  PreselectionSpecialValue,
} from './enums-auth.js'
export { CUSTOMER_CONSENT_SCOPES, CustomerDataScope, DIRECT_ACCESS_SCOPES } from './scopes.js'
export { CUSTOMER_DATA_SCOPE_PROFILES, scopesImplying } from './scope-profiles.js'
export type { CustomerDataScopeProfile } from './scopes.js'
export { CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS } from './authorization-details-fields.js'
export type { CustomerDataFieldDefinition, CustomerDataFieldFormat } from './authorization-details-fields.js'
export { CustomerDataAuthorizationDetails, RELATIVE_DATE_PATTERN, RELATIVE_DATETIME_PATTERN } from './authorization-details.js'
export { Purpose } from './purpose.js'
export { CustomerDataClientExtension } from './client-extension.js'
export {
  CustomerDataChoiceExtension,
  CustomerDataRegistrationFieldFormat,
  CustomerDataServerMetadataExtension,
  RegistrationPurposes,
} from './metadata-extension.js'
export { checkUsageSegmentCells, decodeUsageSegmentCells } from './usage-segment-cells.js'
